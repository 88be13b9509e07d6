package dev.entramcp.archfixture.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entramcp.archfixture.domain.model.CleanModel;

/**
 * Violates "the emulator depends on no project code" and the framework rule: the emulator is neither an
 * adapter nor an app, so it may not use Jackson (the real one parses JSON with nimbus and the JDK).
 */
public class Emulator {
    CleanModel model;
    ObjectMapper mapper;
}

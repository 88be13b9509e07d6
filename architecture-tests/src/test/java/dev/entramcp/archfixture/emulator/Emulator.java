package dev.entramcp.archfixture.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entramcp.archfixture.domain.model.CleanModel;

/** Violates "the emulator depends on no project code"; its Jackson use is innocent. */
public class Emulator {
    CleanModel model;
    ObjectMapper mapper;
}

package dev.entramcp.archfixture.domain.model;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Violates the domain allow-list and the framework rule: the domain knows Jackson. */
public class LeakyModel {
    ObjectMapper mapper;
}

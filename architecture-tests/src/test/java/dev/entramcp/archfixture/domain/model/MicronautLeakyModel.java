package dev.entramcp.archfixture.domain.model;

import io.micronaut.context.ApplicationContext;

/** Violates the domain allow-list and the framework rule: the domain reaches into Micronaut's container. */
public class MicronautLeakyModel {
    ApplicationContext context;
}

package dev.entramcp.archfixture.domain.model;

/** Innocent: depends on the JDK only. */
public record CleanModel(String name) {
}

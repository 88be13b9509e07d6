package dev.entramcp.archfixture.domain.port.out;

/** Innocent: a port that is an interface. */
@FunctionalInterface
public interface GoodPort {
    String load();
}

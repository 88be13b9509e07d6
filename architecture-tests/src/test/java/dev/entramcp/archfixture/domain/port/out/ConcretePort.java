package dev.entramcp.archfixture.domain.port.out;

/** Violates "ports are interfaces". */
public class ConcretePort {
}

package dev.entramcp.archfixture.domain.service;

import dev.entramcp.archfixture.adapter.alpha.AlphaAdapter;

/** Violates the domain allow-list and "only apps wire adapters": the domain picks an adapter. */
public class WiringService {
    AlphaAdapter adapter;
}

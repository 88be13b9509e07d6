package dev.entramcp.archfixture.domain.model;

import com.microsoft.aad.msal4j.PublicClientApplication;

/** Violates the domain allow-list, the framework rule and the msal4j rule: the domain acquires tokens. */
public class MsalLeakyModel {
    PublicClientApplication msal;
}

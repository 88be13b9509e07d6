package dev.entramcp.emulator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides what a user must consent to, and what a token may carry.
 *
 * <p>Without a person in the loop (refresh, On-Behalf-Of, code redemption) missing consent is an error,
 * {@code invalid_grant} with AADSTS65001 and {@code suberror=consent_required}, which msal4j turns into
 * {@code MsalInteractionRequiredException}. With a person (the authorize and device-code pages) it becomes a
 * consent page. As in Entra, a token carries every scope the user consented to on that resource, not only the
 * ones asked for.
 */
final class ConsentPolicy {

    /** One line of a consent page: {@code client} may use {@code scopes} of {@code resource} for the user. */
    record Item(AppRegistration client, Resource resource, Set<String> scopes) {
    }

    private final Directory directory;

    ConsentPolicy(Directory directory) {
        this.directory = directory;
    }

    /** The resource scopes a token may carry, or AADSTS65001 if consent is missing. */
    Set<String> grantedWithoutUser(DemoUser user, AppRegistration client, ScopeRequest request) {
        Set<String> consented = directory.consented(user, client, request.resource());
        if (request.dotDefault() && consented.isEmpty()) {
            throw EntraError.consentRequired(client);
        }
        if (!consented.containsAll(request.scopes())) {
            throw EntraError.consentRequired(client);
        }
        return consented;
    }

    /**
     * What the consent page must ask for before this sign-in can complete; empty means no page. Includes the
     * combined consent of an API that lists the client among its known client applications, when the user's
     * consent to that API was withdrawn (so that On-Behalf-Of works again afterwards).
     */
    List<Item> needed(DemoUser user, AppRegistration client, ScopeRequest request, boolean forcePrompt) {
        List<Item> items = new ArrayList<>();
        Resource resource = request.resource();
        Set<String> consented = directory.consented(user, client, resource);
        Set<String> wanted = new LinkedHashSet<>(request.dotDefault()
                ? directory.requestable(client, resource) : request.scopes());
        if (request.dotDefault() && wanted.isEmpty() && consented.isEmpty()) {
            throw EntraError.invalidScope(650057, "Invalid resource. The client has requested access to a resource"
                    + " which isn't listed in the requested permissions in the client's application registration."
                    + " Client app ID: " + client.clientId() + "(" + client.displayName() + "). Resource value from"
                    + " request: " + resource.identifierUri() + ". Resource app ID: " + resource.appId() + ".");
        }
        if (!forcePrompt) {
            wanted.removeAll(consented);
        }
        if (!wanted.isEmpty()) {
            items.add(new Item(client, resource, wanted));
        }
        directory.app(resource.appId())
                .filter(api -> !api.clientId().equals(client.clientId()))
                .filter(api -> api.knownClientApplications().contains(client.clientId()))
                .filter(api -> forcePrompt || directory.isWithdrawn(user, api.clientId()))
                .ifPresent(api -> {
                    for (Map.Entry<String, Set<String>> downstream : api.delegatedPermissions().entrySet()) {
                        directory.resource(downstream.getKey()).ifPresent(r -> {
                            Set<String> missing = new LinkedHashSet<>(downstream.getValue());
                            if (!forcePrompt) {
                                missing.removeAll(directory.consented(user, api, r));
                            }
                            if (!missing.isEmpty()) {
                                items.add(new Item(api, r, missing));
                            }
                        });
                    }
                });
        return items;
    }

    void grant(DemoUser user, List<Item> items) {
        for (Item item : items) {
            directory.grant(user, item.client(), item.resource(), item.scopes());
        }
    }
}

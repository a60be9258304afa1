package io.hostrail.identity.service;

import io.hostrail.audit.model.Actor;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.User;
import io.hostrail.identity.model.UserKind;

/** Who did it, as the audit trail names people. */
public final class Actors {

    private Actors() {
    }

    public static Actor of(Principal principal) {
        String display = principal.email() == null ? principal.userId().toString() : principal.email();
        return switch (principal.kind()) {
            case CLIENT -> Actor.clientUser(principal.userId(), display);
            case API_KEY -> Actor.apiKey(principal.userId(), display);
            case STAFF -> Actor.staffUser(principal.userId(), display);
        };
    }

    public static Actor of(User user) {
        return user.kind() == UserKind.CLIENT ? Actor.clientUser(user.id(), user.email()) : Actor.staffUser(user.id(), user.email());
    }
}

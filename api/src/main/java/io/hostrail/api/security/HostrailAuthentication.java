package io.hostrail.api.security;

import io.hostrail.identity.model.Principal;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated request: the domain principal, with its permissions as authorities. */
public final class HostrailAuthentication extends AbstractAuthenticationToken {

    private final Principal principal;
    private final String token;

    public HostrailAuthentication(Principal principal, String token) {
        super(principal.permissions().stream().map(p -> new SimpleGrantedAuthority(p.value())).toList());
        this.principal = principal;
        this.token = token;
        setAuthenticated(true);
    }

    @Override
    public Principal getPrincipal() {
        return principal;
    }

    /** The raw token is never exposed as credentials, so it cannot end up in a log via toString. */
    @Override
    public Object getCredentials() {
        return "";
    }

    String token() {
        return token;
    }

    @Override
    public String getName() {
        return principal.userId().toString();
    }

    static List<String> permissionsOf(Principal principal) {
        return principal.permissions().stream().map(Object::toString).toList();
    }
}

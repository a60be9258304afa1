package io.hostrail.identity.service;

import io.hostrail.identity.port.out.PasswordResetTokens;
import io.hostrail.identity.port.out.RefreshTokens;
import io.hostrail.identity.port.out.Tenants;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Clock;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Deletes refresh and password reset tokens a day after they expired, tenant by tenant (the tables are
 * under row-level security). Until it expires, a revoked refresh token stays: it is what reveals a replay.
 */
public final class ExpiredTokenPurge {

    static final Duration KEEP_AFTER_EXPIRY = Duration.ofDays(1);

    private final Tenants tenants;
    private final RefreshTokens refreshTokens;
    private final PasswordResetTokens resetTokens;
    private final UnitOfWork unitOfWork;
    private final Clock clock;

    public ExpiredTokenPurge(Tenants tenants, RefreshTokens refreshTokens, PasswordResetTokens resetTokens,
            UnitOfWork unitOfWork, Clock clock) {
        this.tenants = tenants;
        this.refreshTokens = refreshTokens;
        this.resetTokens = resetTokens;
        this.unitOfWork = unitOfWork;
        this.clock = clock;
    }

    /** The number of tokens deleted. */
    public Mono<Long> run() {
        var cutoff = clock.instant().minus(KEEP_AFTER_EXPIRY);
        return tenants.allIds()
                .concatMap(tenant -> TenantContext.within(tenant, unitOfWork.inTransaction(() ->
                        refreshTokens.deleteExpiredBefore(tenant, cutoff)
                                .zipWith(resetTokens.deleteExpiredBefore(tenant, cutoff), Long::sum))))
                .reduce(0L, Long::sum);
    }
}

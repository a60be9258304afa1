package io.hostrail.invoice.port.out;

import io.hostrail.settings.model.DocumentNumberFormat;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import reactor.core.publisher.Mono;

/**
 * Gapless numbering. Must be called inside the unit of work that issues the document: the number is taken under a lock
 * held until that transaction ends, so concurrent issuers wait for each other, and a rollback returns the number.
 */
public interface DocumentSequences {

    enum Kind { INVOICE, CREDIT_NOTE }

    /** The next value, from 1, of the tenant's sequence for this kind of document and scope. */
    default Mono<Long> next(TenantId tenant, Kind kind, String scope) {
        return nextBlock(tenant, kind, scope, 1);
    }

    /**
     * Takes the next {@code count} values at once and returns the first: the block is the values from it to
     * {@code first + count - 1}, all of which the caller's transaction must use. It is returned whole on a rollback.
     */
    Mono<Long> nextBlock(TenantId tenant, Kind kind, String scope, int count);

    /** The next document number in the format, for a document issued at {@code at} (UTC). */
    default Mono<String> nextNumber(TenantId tenant, Kind kind, DocumentNumberFormat format, Instant at) {
        ZonedDateTime issued = at.atZone(ZoneOffset.UTC);
        return next(tenant, kind, format.sequenceScope(issued.getYear(), issued.getMonthValue()))
                .map(sequence -> format.render(issued.getYear(), issued.getMonthValue(), sequence));
    }
}

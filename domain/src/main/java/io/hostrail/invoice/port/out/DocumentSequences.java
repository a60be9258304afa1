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
    Mono<Long> next(TenantId tenant, Kind kind, String scope);

    /** The next document number in the format, for a document issued at {@code at} (UTC). */
    default Mono<String> nextNumber(TenantId tenant, Kind kind, DocumentNumberFormat format, Instant at) {
        ZonedDateTime issued = at.atZone(ZoneOffset.UTC);
        return next(tenant, kind, format.sequenceScope(issued.getYear(), issued.getMonthValue()))
                .map(sequence -> format.render(issued.getYear(), issued.getMonthValue(), sequence));
    }
}

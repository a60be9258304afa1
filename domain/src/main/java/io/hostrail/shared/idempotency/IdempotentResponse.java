package io.hostrail.shared.idempotency;

import java.util.Arrays;
import java.util.Objects;

/**
 * The answer to a request made under an idempotency key, kept to be given again to a retry. A {@code withheld} answer
 * held a secret shown once: only its status and location are kept, and a retry is told so instead of getting it.
 */
public record IdempotentResponse(int status, String contentType, String location, byte[] body, boolean withheld) {

    public static IdempotentResponse withheld(int status, String location) {
        return new IdempotentResponse(status, null, location, new byte[0], true);
    }

    public IdempotentResponse {
        Objects.requireNonNull(body, "body");
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IdempotentResponse that && status == that.status && withheld == that.withheld
                && Objects.equals(contentType, that.contentType) && Objects.equals(location, that.location)
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, contentType, location, Arrays.hashCode(body), withheld);
    }

    @Override
    public String toString() {
        return "IdempotentResponse[status=" + status + ", contentType=" + contentType + ", location=" + location
                + ", body=" + body.length + " bytes, withheld=" + withheld + "]";
    }
}

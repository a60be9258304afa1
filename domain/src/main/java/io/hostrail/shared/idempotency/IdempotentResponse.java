package io.hostrail.shared.idempotency;

import java.util.Arrays;
import java.util.Objects;

/** The answer to a request made under an idempotency key, kept to be given again to a retry. */
public record IdempotentResponse(int status, String contentType, String location, byte[] body) {

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
        return other instanceof IdempotentResponse that && status == that.status
                && Objects.equals(contentType, that.contentType) && Objects.equals(location, that.location)
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, contentType, location, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "IdempotentResponse[status=" + status + ", contentType=" + contentType + ", location=" + location
                + ", body=" + body.length + " bytes]";
    }
}

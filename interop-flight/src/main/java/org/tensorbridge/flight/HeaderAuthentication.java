package org.tensorbridge.flight;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Consumer;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.auth2.AuthUtilities;
import org.apache.arrow.flight.auth2.BasicCallHeaderAuthenticator;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;
import org.apache.arrow.flight.auth2.GeneratedBearerTokenAuthenticator;

/**
 * The server's Flight call-header authentication ({@link CallHeaderAuthenticator}, which Flight runs for
 * every call through its {@code ServerCallHeaderAuthMiddleware}): a fixed bearer token
 * ({@code authorization: Bearer <token>}), and/or one user and password by HTTP basic authentication,
 * answered with a bearer token the client sends from then on (Flight's {@link BasicCallHeaderAuthenticator}
 * inside a {@link GeneratedBearerTokenAuthenticator}: what pyarrow's {@code authenticate_basic_token} and
 * Flight Java's {@code authenticateBasicToken} expect). Secrets are compared in constant time. A refusal is
 * {@code UNAUTHENTICATED} with a description naming what to send, and a line in the request log.
 * Immutable and thread-safe.
 */
final class HeaderAuthentication implements CallHeaderAuthenticator {
    private final byte[] token;
    private final CallHeaderAuthenticator basic;
    private final Consumer<String> refusals;

    /** {@code token} or {@code user} may be null (not both); {@code refusals} gets a line per refused call. */
    HeaderAuthentication(String token, String user, String password, Consumer<String> refusals) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.basic = user == null ? null : new GeneratedBearerTokenAuthenticator(new BasicCallHeaderAuthenticator(
                (u, p) -> {
                    if (equal(u, user) & equal(p, password)) {
                        return () -> u;
                    }
                    throw CallStatus.UNAUTHENTICATED.withDescription("wrong user or password").toRuntimeException();
                }));
        this.refusals = refusals;
    }

    @Override
    public AuthResult authenticate(CallHeaders incomingHeaders) {
        String bearer = AuthUtilities.getValueFromAuthHeader(incomingHeaders, Auth2Constants.BEARER_PREFIX);
        if (token != null && bearer != null
                && MessageDigest.isEqual(bearer.getBytes(StandardCharsets.UTF_8), token)) {
            return () -> "token";
        }
        if (basic != null) {
            try {
                return basic.authenticate(incomingHeaders);
            } catch (FlightRuntimeException e) {
                throw refuse(e.status().description());
            }
        }
        throw refuse(bearer == null ? "no bearer token was sent" : "the bearer token is wrong");
    }

    private FlightRuntimeException refuse(String why) {
        String how = (token != null ? "send the header 'authorization: Bearer <token>' with the server's token "
                + "(tensorbridge serve --token)" : "")
                + (token != null && basic != null ? ", or " : "")
                + (basic != null ? "authenticate with the server's user and password (tensorbridge serve --user; "
                + "pyarrow: client.authenticate_basic_token(user, password), then send the header it returns)" : "");
        String description = "unauthenticated: " + why + "; " + how;
        refusals.accept("refused UNAUTHENTICATED (" + why + ")");
        return CallStatus.UNAUTHENTICATED.withDescription(description).toRuntimeException();
    }

    private static boolean equal(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }
}

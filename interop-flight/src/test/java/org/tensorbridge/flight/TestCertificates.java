package org.tensorbridge.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A self-signed certificate for {@code localhost} and its PEM (PKCS #8) key, made with the {@code openssl}
 * command (Debian package {@code openssl}). Without it the test is skipped, unless {@code CI=true}, when
 * it fails ({@code .ci/run} installs it).
 */
record TestCertificates(Path certificate, Path key) {
    static TestCertificates in(Path folder) throws IOException, InterruptedException {
        Path certificate = folder.resolve("cert.pem");
        Path key = folder.resolve("key.pem");
        Process process;
        try {
            process = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", key.toString(), "-out", certificate.toString()).redirectErrorStream(true).start();
        } catch (IOException missing) {
            String why = "openssl is not installed (apt-get install -y openssl): " + missing.getMessage();
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
            return null;
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("openssl did not finish: " + output);
        }
        assertEquals(0, process.exitValue(), () -> "openssl failed: " + output);
        return new TestCertificates(certificate, key);
    }
}

package org.tensorbridge.flight;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.Tensor;

/** TLS with a given certificate and key, together with a token: what reaches the server, and what cannot. */
class TlsTest {
    @RegisterExtension
    final FlightPeers peers = new FlightPeers();

    @TempDir
    Path folder;

    @Test
    void aClientTrustingTheCertificateWithTheTokenPutsAndGets() throws Exception {
        TestCertificates tls = TestCertificates.in(folder);
        TensorFlightServer server = peers.server(b -> b.tls(tls.certificate(), tls.key()).bearerToken("t0ken"));
        assertEquals("grpc+tls", server.location().getUri().getScheme());
        TensorFlightClient client = peers.client(server, b -> b.trustedCertificates(tls.certificate())
                .bearerToken("t0ken"));
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 1, 32, 8)) {
            client.put("secret", tensor);
        }
        try (FetchedTensor fetched = client.get("secret", TestTensors.cpu(), CopyPolicy.NEVER)) {
            assertArrayEquals(TestTensors.ramp(1, 256), TestTensors.values(fetched.tensor()));
        }
    }

    @Test
    void untrustedAndPlaintextClientsCannotConnect() throws Exception {
        TestCertificates tls = TestCertificates.in(folder);
        TensorFlightServer server = peers.server(b -> b.tls(tls.certificate(), tls.key()));
        FlightCallException untrusted = assertThrows(FlightCallException.class, () -> peers.client(server).list());
        assertEquals(FlightStatusCode.UNAVAILABLE, untrusted.status(), untrusted::getMessage);
        TensorFlightClient plaintext = TensorFlightClient.builder(Location.forGrpcInsecure("localhost", server.port()),
                peers.clientMemory()).connect();
        try {
            FlightCallException refused = assertThrows(FlightCallException.class, plaintext::list);
            assertTrue(refused.status() == FlightStatusCode.UNAVAILABLE || refused.status() == FlightStatusCode.INTERNAL,
                    refused::getMessage);
        } finally {
            plaintext.close();
        }
    }

    @Test
    void missingTlsFilesAreASettingError() {
        FlightSettingException missing = assertThrows(FlightSettingException.class, () -> TensorFlightServer.builder(
                peers.serverMemory()).tls(folder.resolve("nope.pem"), folder.resolve("nope.key")));
        assertEquals("TB-FLIGHT-SETTING", missing.code());
        assertTrue(missing.getMessage().contains("openssl req"), missing.getMessage());
    }
}

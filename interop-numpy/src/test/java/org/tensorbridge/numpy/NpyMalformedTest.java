package org.tensorbridge.numpy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.spi.AbstractBackend;

/** Malformed, truncated and lying files are refused with NpyFormatException naming the problem, and allocate nothing. */
class NpyMalformedTest {
    private static final Backend CPU = Backends.get("cpu");

    private static byte[] file(String dict, int dataBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        byte[] text = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        out.write(text.length & 0xff);
        out.write(text.length >>> 8);
        out.writeBytes(text);
        out.writeBytes(new byte[dataBytes]);
        return out.toByteArray();
    }

    static Stream<Arguments> malformed() {
        byte[] good = file("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 24);
        return Stream.of(
                Arguments.of("not a .npy file", "PK\u0003\u0004 a zip".getBytes(StandardCharsets.ISO_8859_1), "magic"),
                Arguments.of("empty", new byte[0], "truncated"),
                Arguments.of("cut inside the header", Arrays.copyOf(good, 20), "truncated"),
                Arguments.of("cut inside the data", Arrays.copyOf(good, good.length - 1), "truncated"),
                Arguments.of("a shape that lies", file("{'descr': '<f4', 'fortran_order': False, 'shape': (200, 3), }",
                        24), "'shape'"),
                Arguments.of("a huge shape", file("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, "
                        + "4294967296, 8), }", 0), "'shape'"),
                Arguments.of("a shape whose bytes pass 2^63", file("{'descr': '<f8', 'fortran_order': False, "
                        + "'shape': (4611686018427387904,), }", 0), "2^63"),
                Arguments.of("a Fortran-order shape whose bytes pass 2^63", file("{'descr': '<i4', "
                        + "'fortran_order': True, 'shape': (2305843009213693952, 2), }", 0), "2^63"),
                Arguments.of("a negative dimension", file("{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3), }",
                        24), "'shape'"),
                Arguments.of("a non-integer dimension", file("{'descr': '<f4', 'fortran_order': False, "
                        + "'shape': (2, x), }", 24), "'shape'"),
                Arguments.of("no descr", file("{'fortran_order': False, 'shape': (2, 3), }", 24), "'descr'"),
                Arguments.of("no shape", file("{'descr': '<f4', 'fortran_order': False, }", 24), "'shape'"),
                Arguments.of("not a dict", file("['descr', '<f4']", 24), "header"),
                Arguments.of("an unknown dtype", file("{'descr': '<u4', 'fortran_order': False, 'shape': (2, 3), }", 24),
                        "'descr'"),
                Arguments.of("an object dtype", file("{'descr': '|O', 'fortran_order': False, 'shape': (2, 3), }", 24),
                        "'descr'"),
                Arguments.of("an unknown version", patch(good, 6, (byte) 9), "version"));
    }

    private static byte[] patch(byte[] bytes, int at, byte value) {
        byte[] copy = bytes.clone();
        copy[at] = value;
        return copy;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void isRefusedNamingTheProblem(String what, byte[] bytes, String named) {
        long before = ((AbstractBackend) CPU).ledger().liveBlocks();
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> Npy.read(new ByteArrayInputStream(bytes), CPU).close(), what);
        assertTrue(e.getMessage().contains(named), what + ": the message does not name '" + named + "': " + e.getMessage());
        assertTrue(((AbstractBackend) CPU).ledger().liveBlocks() == before, what + ": a refused file left memory behind");
    }

    /** Memory follows the data that is there, not what the header claims: a lying header cannot exhaust the heap. */
    @Test
    void aHeaderClaimingTwoGigabytesOverAFewBytesAllocatesLittle() {
        byte[] bytes = file("{'descr': '|u1', 'fortran_order': False, 'shape': (2000000000,), }", 16);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> Npy.read(new ByteArrayInputStream(bytes), CPU).close());

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64L << 20, "reading the refused file allocated " + allocated + " bytes");
        assertTrue(e.getMessage().contains("16 present"), e.getMessage());
    }
}

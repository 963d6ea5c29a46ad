package org.tensorbridge.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Backends;

/** The demo prints the TensorFlow snippet's answer and an honest sharing report for each host array. */
class DemoTest {
    @Test
    void printsTheProductAndTheSharingReports() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Demo.run(Backends.get("cpu"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("toHost()                      [[2, 6], [12, 20]]"), out);
        assertTrue(out.contains("int32[2, 2]  sharing=SHARED  bytesCopied=0  readOnly=true"), out);
        assertTrue(out.contains("int32[2, 2]  sharing=INDEPENDENT  bytesCopied=16  readOnly=true"), out);
        assertTrue(out.contains("add(product, 0) afterwards    [[100, 6], [12, 20]]"), out);
        assertTrue(out.contains("session.run(y, {a: [[1, 2], [3, 4]]})  [[2, 6], [12, 20]]"), out);
        assertTrue(out.contains("int32[2, 2]  sharing=INDEPENDENT  bytesCopied=0  readOnly=false"), out);
        assertTrue(out.contains("multiply(c, add(c, 1)).eval()  [[30, 42]]"), out);
        assertTrue(out.contains("indices [[0, 1], [2, 3]]  values [2.0, 4.0]  canonical=true"), out);
    }
}

package org.tensorbridge.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A byte count written as {@code 1048576}, {@code 512KiB}, {@code 256MiB} or {@code 2GiB} on the command line. */
final class ByteSize implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String text = value.trim();
        long unit = 1;
        for (String[] suffix : new String[][] {{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"}}) {
            if (text.toUpperCase(Locale.ROOT).endsWith(suffix[0])) {
                unit = Long.parseLong(suffix[1]);
                text = text.substring(0, text.length() - 3).trim();
                break;
            }
        }
        try {
            long count = Long.parseLong(text);
            if (count <= 0) {
                throw new TypeConversionException("'" + value + "' is not a positive size; write 1048576, 512KiB, "
                        + "256MiB or 2GiB");
            }
            return Math.multiplyExact(count, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("'" + value + "' is not a size; write 1048576, 512KiB, 256MiB or 2GiB");
        }
    }
}

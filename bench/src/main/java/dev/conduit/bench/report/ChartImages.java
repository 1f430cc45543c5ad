package dev.conduit.bench.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Turns a chart into an SVG element to inline in HTML, or a PNG file.
 */
final class ChartImages
{
    private ChartImages()
    {
    }

    /**
     * @param chart the chart.
     * @return its {@code <svg>} element alone (VectorGraphics2D's XML declaration and DOCTYPE dropped, which
     *         are not allowed inside HTML).
     */
    static String svg(final Chart<?, ?> chart)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try
        {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("rendering " + chart.getTitle() + " as SVG", e);
        }
        final String text = out.toString(StandardCharsets.UTF_8);
        final int start = text.indexOf("<svg");
        if (start < 0)
        {
            throw new IllegalStateException("VectorGraphics2D wrote no <svg> element for " + chart.getTitle());
        }
        return text.substring(start);
    }

    /**
     * @param chart the chart.
     * @param file  the PNG file to write.
     */
    static void png(final Chart<?, ?> chart, final Path file)
    {
        try
        {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("writing " + file, e);
        }
    }
}

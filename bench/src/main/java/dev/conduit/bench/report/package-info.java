/**
 * Bench results people look at: {@code result.json}, a self-contained {@code report.html} (inline SVG
 * charts drawn by XChart, no network needed to view it) and the same charts as PNG files; and the
 * comparison of two runs of the same workload ({@code conduit bench compare}).
 */
package dev.conduit.bench.report;

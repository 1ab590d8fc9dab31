/**
 * The {@code contextlens} command: a thin picocli layer over the library. {@link
 * dev.contextlens.cli.ContextLensCommand} is the top command; {@link dev.contextlens.cli.Main} runs it
 * and maps errors to exit codes. Every command is also reachable from Java through the library
 * classes it calls. The {@code bench} commands and what they measure with ({@code *Benchmark},
 * {@code Bench*}) live here too, not in the library: they time the library through its public API.
 *
 * <p>The query commands implement {@link dev.contextlens.cli.JsonCommand}: their {@code --json} output is
 * computed by one method on an open index, which {@code serve} ({@link dev.contextlens.cli.WebOptions},
 * {@link dev.contextlens.cli.CommandApi}) also calls to answer {@code GET /api/{command}}, after parsing
 * the request's parameters with the command's own picocli options; the HTTP host itself is in
 * {@code dev.contextlens.cli.web}.
 */
package dev.contextlens.cli;

/**
 * The {@code contextlens} command: a thin picocli layer over the library. {@link
 * dev.contextlens.cli.ContextLensCommand} is the top command; {@link dev.contextlens.cli.Main} runs it
 * and maps errors to exit codes. Every command is also reachable from Java through the library
 * classes it calls. The {@code bench} commands and what they measure with ({@code *Benchmark},
 * {@code Bench*}) live here too, not in the library: they time the library through its public API.
 */
package dev.contextlens.cli;

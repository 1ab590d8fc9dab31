/**
 * The web explorer's HTTP host: {@link dev.contextlens.cli.web.ExplorerServer} serves the page (plain ES
 * modules and a vendored d3 from the classpath, {@code static/}) and answers {@code GET /api/{command}}
 * through an {@link dev.contextlens.cli.web.ExplorerApi}, which the command line implements with the
 * same code that prints {@code --json}. Model runs pass a {@link dev.contextlens.cli.web.ModelGate} so
 * that parallel users cannot oversubscribe the cores. Nothing here writes to an index.
 */
package dev.contextlens.cli.web;

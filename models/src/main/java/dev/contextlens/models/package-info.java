/**
 * Models: the registry of built-in and user models, the ONNX contextual encoder (words, layers,
 * attention), static lookup tables and execution providers; {@link dev.contextlens.models.JourneyTracer}
 * follows one occurrence from its lookup row through every layer ({@link dev.contextlens.models.Journey}).
 * Imports nothing from Lucene; words come from the analyzer module's Lucene-free core, so words and
 * vectors always agree.
 */
package dev.contextlens.models;

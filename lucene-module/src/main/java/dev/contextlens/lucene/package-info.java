/**
 * The dual-vector Lucene index: schema, writer pipeline, searchers and the static-versus-contextual
 * comparison.
 */
package dev.contextlens.lucene;

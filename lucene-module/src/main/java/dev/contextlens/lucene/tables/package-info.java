/**
 * Two static tables side by side: which words keep their neighbours and which move, between two
 * models' input-embedding matrices, a model's fp32 and int8 tables, or a model's table and an external
 * vector file. {@link dev.contextlens.lucene.tables.TableComparison} computes the figures, {@link
 * dev.contextlens.lucene.tables.OrthogonalAlignment} is the Procrustes map it aligns the tables with,
 * and {@link dev.contextlens.lucene.tables.TableComparisonResult} holds them.
 */
package dev.contextlens.lucene.tables;

/**
 * Reading and rewriting ONNX model files without generated protobuf classes: {@link
 * dev.contextlens.models.onnx.OnnxGraph} walks the ModelProto wire format for what the encoder needs
 * (inputs, outputs, nodes, initializers), {@link dev.contextlens.models.onnx.TransformerLayout} finds
 * the tensors that hold each layer's hidden states and attention probabilities and the input embedding
 * matrix, {@link dev.contextlens.models.onnx.AttentionWeights} reads each layer's value and output
 * projections, and {@link dev.contextlens.models.onnx.OnnxRewriter} adds graph outputs in memory. {@link
 * dev.contextlens.models.onnx.OnnxEnvironment} creates ONNX Runtime's process environment on a thread
 * whose stack fits what that creation needs.
 */
package dev.contextlens.models.onnx;

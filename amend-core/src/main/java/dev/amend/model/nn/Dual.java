package dev.amend.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * A value and its tangent (directional derivative along a parameter direction v), carried
 * through the forward pass for exact curvature-vector products. A null tangent means zero.
 */
public record Dual(NDArray value, NDArray tangent) {
}

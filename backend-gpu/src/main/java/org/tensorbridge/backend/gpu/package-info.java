/**
 * The GPU backend of tensorbridge: tensors in OpenCL device memory through JOCL, OpenCL C kernels for
 * every dense and sparse operation, host arrays that are always reported copies. Applications reach it
 * through {@code Backends.get("gpu")}; {@link org.tensorbridge.backend.gpu.GpuBackendProvider} documents
 * the device selection and availability, {@link org.tensorbridge.backend.gpu.GpuBackend} the contract.
 */
package org.tensorbridge.backend.gpu;

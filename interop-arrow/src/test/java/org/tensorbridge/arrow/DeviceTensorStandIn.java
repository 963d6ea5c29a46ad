package org.tensorbridge.arrow;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendCapabilities;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * A tensor whose memory the host cannot address, as a GPU backend's is: every host array is a copy,
 * and {@code NEVER} throws. Its elements live in a CPU tensor it owns.
 */
final class DeviceTensorStandIn implements Tensor {
    static final Device DEVICE = Device.accelerator(Device.Kind.GPU, "stand-in GPU", "test", "0");

    private final Tensor memory;

    DeviceTensorStandIn(Tensor memory) {
        this.memory = memory;
    }

    /**
     * A backend that cannot wrap host buffers, as a GPU backend cannot: {@code fromBuffer} copies (and
     * closes the owner at once) into a stand-in device tensor, and {@code NEVER} throws. Every other call
     * goes to {@code host}, whose dtypes it declares.
     */
    static Backend copyingBackend(Backend host) {
        BackendCapabilities capabilities = BackendCapabilities.builder()
                .supportedDTypes(host.capabilities().supportedDTypes()).build();
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "capabilities":
                    return capabilities;
                case "device":
                    return DEVICE;
                case "fromBuffer":
                    if (args.length == 5) {
                        if (args[3] == CopyPolicy.NEVER) {
                            if (args[4] != null) {
                                ((AutoCloseable) args[4]).close();
                            }
                            throw new CopyRequiredException("the stand-in device backend cannot wrap host buffers");
                        }
                        return new DeviceTensorStandIn(host.fromBuffer((ByteBuffer) args[0], (DType) args[1],
                                (Shape) args[2], CopyPolicy.ALWAYS, (AutoCloseable) args[4]));
                    }
                    break;
                default:
                    break;
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            try {
                return method.invoke(host, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                handler);
    }

    @Override
    public DType dtype() {
        return memory.dtype();
    }

    @Override
    public Shape shape() {
        return memory.shape();
    }

    @Override
    public Device device() {
        return DEVICE;
    }

    @Override
    public Backend backend() {
        return memory.backend();
    }

    @Override
    public HostArray toHost(CopyPolicy policy, Access access) {
        if (policy == CopyPolicy.NEVER) {
            throw new CopyRequiredException("a tensor on " + DEVICE + " cannot be shared under CopyPolicy.NEVER; use "
                    + "CopyPolicy.IF_NEEDED or CopyPolicy.ALWAYS");
        }
        return memory.toHost(CopyPolicy.ALWAYS, access);
    }

    @Override
    public boolean isClosed() {
        return memory.isClosed();
    }

    @Override
    public void close() {
        memory.close();
    }
}

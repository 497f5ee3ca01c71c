package io.ddp.spring.protocol;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.util.BufferRecycler;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.core.util.RecyclerPool;

/**
 * Jackson's buffer pool for frames: a platform thread keeps its own buffers (Jackson's
 * thread-local pool), a virtual thread borrows from Jackson's shared pool (see
 * {@link JsonMappers}). The shared pool links what it lends, so a closed parser or
 * generator returns its buffers there; the thread-local pool needs no return.
 *
 * <p>
 * Threads: any; it holds no state of its own.
 */
final class PlatformThreadBuffers implements RecyclerPool<BufferRecycler> {

	private static final long serialVersionUID = 1L;

	static final PlatformThreadBuffers INSTANCE = new PlatformThreadBuffers();

	// Thread.isVirtual() exists from Java 21; before that every thread is a platform one
	private static final @Nullable MethodHandle IS_VIRTUAL = findIsVirtual();

	private PlatformThreadBuffers() {
	}

	private static @Nullable MethodHandle findIsVirtual() {
		try {
			return MethodHandles.publicLookup()
				.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

	static boolean isVirtual(Thread thread) {
		MethodHandle isVirtual = IS_VIRTUAL;
		if (isVirtual == null) {
			return false;
		}
		try {
			return (boolean) isVirtual.invokeExact(thread);
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static RecyclerPool<BufferRecycler> pool() {
		return isVirtual(Thread.currentThread()) ? JsonRecyclerPools.sharedConcurrentDequePool()
				: JsonRecyclerPools.threadLocalPool();
	}

	@Override
	public BufferRecycler acquireAndLinkPooled() {
		return pool().acquireAndLinkPooled();
	}

	@Override
	public BufferRecycler acquirePooled() {
		return pool().acquirePooled();
	}

	@Override
	public void releasePooled(BufferRecycler recycler) {
		// A linked recycler goes back to its own pool by itself; this is for one
		// released by hand
		pool().releasePooled(recycler);
	}

	private Object readResolve() {
		return INSTANCE;
	}

}

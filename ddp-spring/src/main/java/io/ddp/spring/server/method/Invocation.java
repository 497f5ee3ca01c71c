package io.ddp.spring.server.method;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.ddp.spring.protocol.MeteorRandom;
import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

/**
 * The {@link DdpMethodInvocation} of one call.
 */
final class Invocation implements DdpMethodInvocation {

	private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();

	private final String name;

	private final @Nullable MethodCallContext context;

	private final @Nullable String userId;

	private final @Nullable String randomSeed;

	private final Runnable unblocker;

	private final AtomicBoolean unblocked = new AtomicBoolean();

	private final WriteFence fence;

	private @Nullable Map<String, MeteorRandom> streams;

	private @Nullable String generatedSeed;

	Invocation(String name, @Nullable MethodCallContext context, @Nullable String userId, @Nullable String randomSeed,
			Runnable unblocker, WriteFence fence) {
		this.name = name;
		this.context = context;
		this.userId = userId;
		this.randomSeed = randomSeed;
		this.unblocker = unblocker;
		this.fence = fence;
	}

	static @Nullable Invocation current() {
		return CURRENT.get();
	}

	/**
	 * Make this the current invocation of the thread; returns what to restore.
	 */
	Scope enter() {
		Invocation previous = CURRENT.get();
		WriteFence previousFence = WriteFence.enter(this.fence);
		CURRENT.set(this);
		return () -> {
			if (previous != null) {
				CURRENT.set(previous);
			}
			else {
				CURRENT.remove();
			}
			WriteFence.enter(previousFence);
		};
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public @Nullable String userId() {
		return this.userId;
	}

	@Override
	public void setUserId(@Nullable String userId) {
		if (this.context == null || this.context.connection() == null) {
			throw new IllegalStateException("Can't call setUserId on a server initiated method call");
		}
		if (this.unblocked.get()) {
			throw new IllegalStateException("Can't call setUserId in a method after calling unblock");
		}
		this.context.setUserId(userId);
	}

	@Override
	public @Nullable ClientConnection connection() {
		return (this.context != null) ? this.context.connection() : null;
	}

	@Nullable MethodCallContext context() {
		return this.context;
	}

	@Override
	public void unblock() {
		if (this.unblocked.compareAndSet(false, true)) {
			this.unblocker.run();
		}
	}

	@Override
	public @Nullable String randomSeed() {
		return this.randomSeed;
	}

	@Override
	public synchronized MeteorRandom randomStream(String streamName) {
		if (this.streams == null) {
			this.streams = new HashMap<>(4);
		}
		return this.streams.computeIfAbsent(streamName, (key) -> MeteorRandom.forStream(seed(), key));
	}

	// Without a client seed Meteor picks one random seed per invocation, so every stream
	// of
	// one call still derives from the same value.
	private String seed() {
		if (this.randomSeed != null) {
			return this.randomSeed;
		}
		if (this.generatedSeed == null) {
			this.generatedSeed = MeteorRandom.secure().hexString(20);
		}
		return this.generatedSeed;
	}

	WriteFence fence() {
		return this.fence;
	}

	@FunctionalInterface
	interface Scope extends AutoCloseable {

		@Override
		void close();

	}

}

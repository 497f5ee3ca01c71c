package io.ddp.spring.server.method;

import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

/**
 * The context of a call that no session made, with no user, for tests that dispatch calls
 * directly.
 */
public final class NoSessionContext implements MethodCallContext {

	@Override
	public @Nullable ClientConnection connection() {
		return null;
	}

	@Override
	public @Nullable String userId() {
		return null;
	}

	@Override
	public void setUserId(@Nullable String userId) {
	}

}

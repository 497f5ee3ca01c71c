package io.ddp.spring.protocol;

import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Jackson mappers the protocol code reads and writes frames with.
 * <p>
 * Every frame in and out is parsed or generated once, so the buffers Jackson borrows for
 * each parser and generator are on the hot path. Jackson 3's default pool is one
 * concurrent deque shared by all threads; under load its compare-and-set traffic cost 13%
 * of the server's CPU in the echo benchmark. Frames are read and written on pooled
 * platform threads (Tomcat's, the session executor's, the client's), where a thread-local
 * pool hands each thread its own buffers without contention. A virtual thread (an
 * application with {@code spring.threads.virtual.enabled}) lives for one task, so buffers
 * kept per thread would be allocated anew for each: virtual threads keep using Jackson's
 * shared pool.
 *
 * @since 0.1.0
 */
public final class JsonMappers {

	private JsonMappers() {
	}

	/**
	 * Return a new mapper with Jackson's defaults whose buffers are kept per platform
	 * thread.
	 * @return the mapper
	 */
	public static JsonMapper plain() {
		return JsonMapper.builder(threadBuffers(new JsonFactory())).build();
	}

	/**
	 * Return a builder holding everything the given mapper was configured with (modules,
	 * features, constraints of its stream factory) whose buffers are kept per platform
	 * thread.
	 * @param mapper the mapper to copy, for example the application's
	 * @return the builder
	 */
	public static JsonMapper.Builder rebuildWithThreadBuffers(JsonMapper mapper) {
		return new ThreadBuffersBuilder(mapper);
	}

	private static JsonFactory threadBuffers(JsonFactory factory) {
		return factory.rebuild().recyclerPool(PlatformThreadBuffers.INSTANCE).build();
	}

	/**
	 * Jackson 3's builders take a stream factory only when they are created; this one
	 * starts from the mapper's saved state and swaps the factory it copied.
	 */
	private static final class ThreadBuffersBuilder extends JsonMapper.Builder {

		ThreadBuffersBuilder(JsonMapper mapper) {
			super(new JsonMapper.Builder.StateImpl(mapper.rebuild()));
			this._streamFactory = threadBuffers(mapper.tokenStreamFactory());
		}

	}

}

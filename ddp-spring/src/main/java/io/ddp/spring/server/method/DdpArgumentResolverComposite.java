package io.ddp.spring.server.method;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;

/**
 * Asks a list of {@link DdpArgumentResolver}s in order and remembers, per parameter, the
 * first that supports it.
 *
 * <p>
 * Thread-safe once its resolvers are added.
 *
 * @since 0.1.0
 */
public class DdpArgumentResolverComposite implements DdpArgumentResolver {

	private final List<DdpArgumentResolver> resolvers = new ArrayList<>();

	private final Map<MethodParameter, DdpArgumentResolver> cache = new ConcurrentHashMap<>(64);

	/**
	 * Add a resolver, asked after those added before it.
	 * @param resolver the resolver
	 * @return this composite
	 */
	public DdpArgumentResolverComposite addResolver(DdpArgumentResolver resolver) {
		this.resolvers.add(resolver);
		return this;
	}

	/**
	 * Add resolvers, asked in the given order after those added before them.
	 * @param resolvers the resolvers
	 * @return this composite
	 */
	public DdpArgumentResolverComposite addResolvers(List<? extends DdpArgumentResolver> resolvers) {
		this.resolvers.addAll(resolvers);
		return this;
	}

	/**
	 * Return the resolvers, in the order they are asked.
	 * @return an unmodifiable view
	 */
	public List<DdpArgumentResolver> getResolvers() {
		return Collections.unmodifiableList(this.resolvers);
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return getArgumentResolver(parameter) != null;
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, DdpInvocationContext context) throws Exception {
		DdpArgumentResolver resolver = getArgumentResolver(parameter);
		if (resolver == null) {
			throw new IllegalArgumentException("No DdpArgumentResolver supports " + parameter);
		}
		return resolver.resolveArgument(parameter, context);
	}

	/**
	 * Return the first resolver that supports the parameter.
	 * @param parameter the parameter
	 * @return the resolver, or {@code null} if none does
	 */
	public @Nullable DdpArgumentResolver getArgumentResolver(MethodParameter parameter) {
		DdpArgumentResolver cached = this.cache.get(parameter);
		if (cached != null) {
			return cached;
		}
		for (DdpArgumentResolver resolver : this.resolvers) {
			if (resolver.supportsParameter(parameter)) {
				this.cache.put(parameter, resolver);
				return resolver;
			}
		}
		return null;
	}

}

package io.ddp.spring.client.service;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.ddp.spring.client.CallOptions;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.client.DdpSubscription;
import org.jspecify.annotations.Nullable;

import org.springframework.core.GenericTypeResolver;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * Creates declarative clients for one {@link DdpConnection}: proxies of interfaces whose
 * methods are annotated with {@link DdpCall} or {@link DdpSubscribe}, the DDP counterpart
 * of Spring's {@code HttpServiceProxyFactory}.
 *
 * <pre class="code">
 * TodoClient todos = new DdpServiceProxyFactory(connection).createClient(TodoClient.class);
 * </pre>
 *
 * <p>
 * Every abstract method must carry one of the two annotations; default methods run as
 * written. Problems with an interface (a missing annotation, a subscription method that
 * does not return {@link DdpSubscription}, a bad timeout) fail {@link #createClient} with
 * a message naming the method, not the first call.
 *
 * @since 0.1.0
 */
public final class DdpServiceProxyFactory {

	private final DdpConnection connection;

	/**
	 * Create a factory for clients of the given connection.
	 * @param connection the connection the clients use
	 */
	public DdpServiceProxyFactory(DdpConnection connection) {
		Assert.notNull(connection, "connection must not be null");
		this.connection = connection;
	}

	/**
	 * Create a client for the given interface.
	 * @param <S> the interface type
	 * @param serviceType the interface
	 * @return the client
	 * @throws IllegalArgumentException if the interface cannot be mapped
	 */
	public <S> S createClient(Class<S> serviceType) {
		Assert.notNull(serviceType, "serviceType must not be null");
		Assert.isTrue(serviceType.isInterface(), () -> serviceType.getName() + " is not an interface");
		Map<Method, ServiceMethod> methods = new LinkedHashMap<>();
		for (Method method : serviceType.getMethods()) {
			if (method.isDefault() || Modifier.isStatic(method.getModifiers())) {
				continue;
			}
			methods.put(method, ServiceMethod.of(method, serviceType));
		}
		Object proxy = Proxy.newProxyInstance(serviceType.getClassLoader(), new Class<?>[] { serviceType },
				new ServiceInvocationHandler(serviceType, this.connection, methods));
		return serviceType.cast(proxy);
	}

	private static final class ServiceInvocationHandler implements InvocationHandler {

		private final Class<?> serviceType;

		private final DdpConnection connection;

		private final Map<Method, ServiceMethod> methods;

		ServiceInvocationHandler(Class<?> serviceType, DdpConnection connection, Map<Method, ServiceMethod> methods) {
			this.serviceType = serviceType;
			this.connection = connection;
			this.methods = methods;
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args)
				throws Throwable {
			if (ReflectionUtils.isEqualsMethod(method)) {
				return proxy == Objects.requireNonNull(args)[0];
			}
			if (ReflectionUtils.isHashCodeMethod(method)) {
				return System.identityHashCode(proxy);
			}
			if (ReflectionUtils.isToStringMethod(method)) {
				return "DDP client " + this.serviceType.getName() + " on connection '" + this.connection.name() + "'";
			}
			if (method.isDefault()) {
				return InvocationHandler.invokeDefault(proxy, method, args);
			}
			ServiceMethod serviceMethod = this.methods.get(method);
			Assert.state(serviceMethod != null, () -> "No DDP mapping for " + method);
			return serviceMethod.invoke(this.connection, (args != null) ? args : new Object[0]);
		}

	}

	/**
	 * One mapped interface method.
	 */
	private abstract static class ServiceMethod {

		final Method method;

		final String name;

		ServiceMethod(Method method, String name) {
			this.method = method;
			this.name = name;
		}

		static ServiceMethod of(Method method, Class<?> serviceType) {
			DdpCall call = AnnotatedElementUtils.findMergedAnnotation(method, DdpCall.class);
			DdpSubscribe subscribe = AnnotatedElementUtils.findMergedAnnotation(method, DdpSubscribe.class);
			if (call != null && subscribe != null) {
				throw new IllegalArgumentException(describe(method) + " has both @DdpCall and @DdpSubscribe");
			}
			if (subscribe != null) {
				if (method.getReturnType() != DdpSubscription.class) {
					throw new IllegalArgumentException(describe(method) + " is annotated @DdpSubscribe but returns "
							+ method.getGenericReturnType().getTypeName() + " instead of DdpSubscription");
				}
				return new SubscribeMethod(method, nameOf(subscribe.value(), method));
			}
			if (call != null) {
				return new CallMethod(method, serviceType, nameOf(call.value(), method), options(call, method));
			}
			throw new IllegalArgumentException(describe(method)
					+ " is neither @DdpCall nor @DdpSubscribe; annotate it, or make it a default method");
		}

		private static String nameOf(String value, Method method) {
			return StringUtils.hasText(value) ? value : method.getName();
		}

		private static CallOptions options(DdpCall call, Method method) {
			CallOptions options = CallOptions.defaults().withWait(call.waitForOthers()).withNoRetry(call.noRetry());
			if (StringUtils.hasText(call.timeout())) {
				try {
					options = options.withTimeout(DurationFormatterUtils.detectAndParse(call.timeout().trim()));
				}
				catch (RuntimeException ex) {
					throw new IllegalArgumentException(describe(method) + " has an invalid @DdpCall timeout '"
							+ call.timeout() + "' (use e.g. 500ms, 5s or PT5S)", ex);
				}
				Duration timeout = options.timeout();
				Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(),
						() -> describe(method) + " has a @DdpCall timeout that is not positive: " + call.timeout());
			}
			return options;
		}

		static String describe(Method method) {
			return method.getDeclaringClass().getName() + "." + method.getName() + "()";
		}

		/** The call's params: the arguments, with a trailing varargs array spread. */
		List<@Nullable Object> params(@Nullable Object[] args) {
			List<@Nullable Object> params = new ArrayList<>(Arrays.asList(args));
			if (this.method.isVarArgs() && !params.isEmpty()) {
				Object last = params.remove(params.size() - 1);
				if (last instanceof Object[] array) {
					Collections.addAll(params, array);
				}
				else if (last != null) {
					// A primitive varargs array: box each element.
					for (int i = 0; i < java.lang.reflect.Array.getLength(last); i++) {
						params.add(java.lang.reflect.Array.get(last, i));
					}
				}
			}
			return params;
		}

		abstract @Nullable Object invoke(DdpConnection connection, @Nullable Object[] args) throws Throwable;

	}

	private static final class SubscribeMethod extends ServiceMethod {

		SubscribeMethod(Method method, String name) {
			super(method, name);
		}

		@Override
		Object invoke(DdpConnection connection, @Nullable Object[] args) {
			return connection.subscribe(this.name, params(args).toArray());
		}

	}

	private static final class CallMethod extends ServiceMethod {

		private final CallOptions options;

		private final boolean async;

		private final boolean returnsVoid;

		/** The result type: the return type, or the future's type argument. */
		private final Type resultType;

		private final Class<?> resultClass;

		CallMethod(Method method, Class<?> serviceType, String name, CallOptions options) {
			super(method, name);
			this.options = options;
			Type returnType = GenericTypeResolver.resolveType(method.getGenericReturnType(), serviceType);
			Class<?> rawReturnType = method.getReturnType();
			this.async = rawReturnType != Object.class && rawReturnType.isAssignableFrom(CompletableFuture.class);
			if (this.async) {
				ResolvableType generic = ResolvableType.forType(returnType).getGeneric(0);
				Class<?> resolvedGeneric = generic.resolve();
				// CompletableFuture<Void> ignores the result, as a void method does.
				this.returnsVoid = resolvedGeneric == Void.class;
				this.resultType = (resolvedGeneric == null || this.returnsVoid) ? Object.class : generic.getType();
			}
			else if (rawReturnType == void.class || rawReturnType == Void.class) {
				this.returnsVoid = true;
				this.resultType = Object.class;
			}
			else {
				this.returnsVoid = false;
				// int converts as Integer; null for a primitive is rejected on return.
				this.resultType = rawReturnType.isPrimitive() ? ClassUtils.resolvePrimitiveIfNecessary(rawReturnType)
						: returnType;
			}
			Class<?> resolved = ResolvableType.forType(this.resultType).resolve();
			this.resultClass = (resolved != null) ? resolved : Object.class;
		}

		@Override
		@Nullable Object invoke(DdpConnection connection, @Nullable Object[] args) throws Throwable {
			// Null params are valid; NullAway 0.12.3 reads the wildcard of the
			// connection's List<?> as a non-null type argument (uber/NullAway#1126)
			@SuppressWarnings("NullAway")
			List<?> params = params(args);
			if (this.async) {
				CompletableFuture<?> future = connection.applyAsync(this.name, params, this.options,
						ParameterizedTypeReference.forType(this.resultType));
				return this.returnsVoid ? future.thenApply((result) -> null) : future;
			}
			if (this.returnsVoid) {
				connection.apply(this.name, params, this.options, Object.class);
				return null;
			}
			Object result = call(connection, params);
			if (result == null && this.method.getReturnType().isPrimitive()) {
				throw new IllegalStateException("Method '" + this.name + "' returned no value, but "
						+ describe(this.method) + " returns " + this.method.getReturnType().getName());
			}
			return result;
		}

		private @Nullable Object call(DdpConnection connection, List<?> params) throws Throwable {
			if (this.resultType instanceof Class<?>) {
				return connection.apply(this.name, params, this.options, this.resultClass);
			}
			if (this.options.equals(CallOptions.defaults())) {
				return connection.call(this.name, ParameterizedTypeReference.forType(this.resultType),
						params.toArray());
			}
			// Generic result type with options: only the async variant takes both.
			CompletableFuture<?> future = connection.applyAsync(this.name, params, this.options,
					ParameterizedTypeReference.forType(this.resultType));
			try {
				return future.get();
			}
			catch (ExecutionException | CompletionException ex) {
				throw (ex.getCause() != null) ? ex.getCause() : ex;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				future.cancel(false);
				throw new IllegalStateException("Interrupted while waiting for the result of '" + this.name + "'", ex);
			}
		}

	}

}

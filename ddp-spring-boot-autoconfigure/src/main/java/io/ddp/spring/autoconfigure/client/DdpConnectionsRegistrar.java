package io.ddp.spring.autoconfigure.client;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ddp.spring.autoconfigure.client.DdpClientOptionsMapper.ResolvedConnection;
import io.ddp.spring.client.DdpClient;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.client.DdpConnectionFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.Assert;

/**
 * Registers one {@link DdpConnection} bean per {@code ddp.client.connections.<name>},
 * read from the environment before any singleton exists. Each bean is named
 * {@code ddpConnection.<name>}, qualified with {@code @DdpClient("<name>")}, created
 * through the {@link DdpConnectionFactory} bean and closed on shutdown. A bean the
 * application registered under that name itself is left alone.
 *
 * @since 0.1.0
 */
class DdpConnectionsRegistrar implements ImportBeanDefinitionRegistrar {

	/** Prefix of the connection bean names. */
	static final String BEAN_NAME_PREFIX = "ddpConnection.";

	/** Name of the bean that connects and disconnects the connections. */
	static final String LIFECYCLE_BEAN_NAME = "ddpConnectionsLifecycle";

	private final Environment environment;

	private final BeanFactory beanFactory;

	// Spring passes these to an ImportBeanDefinitionRegistrar's constructor.
	DdpConnectionsRegistrar(Environment environment, BeanFactory beanFactory) {
		this.environment = environment;
		this.beanFactory = beanFactory;
	}

	/**
	 * Return the bean name of a connection.
	 * @param connectionName the connection name
	 * @return the bean name
	 */
	static String beanName(String connectionName) {
		return BEAN_NAME_PREFIX + connectionName;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		DdpClientProperties properties = bind();
		Map<String, Boolean> lazyByBeanName = new LinkedHashMap<>();
		for (String name : properties.getConnections().keySet()) {
			String beanName = beanName(name);
			if (registry.containsBeanDefinition(beanName)) {
				continue;
			}
			boolean lazy = DdpClientOptionsMapper.isLazy(name, properties);
			RootBeanDefinition definition;
			if (lazy) {
				// Checked now unless the URL waits for a value such as local.server.port;
				// the options are read again at first use, when that value exists.
				if (!DdpClientOptionsMapper.hasUnresolvedUrl(name, properties)) {
					DdpClientOptionsMapper.resolve(name, properties);
				}
				definition = new RootBeanDefinition(DdpConnection.class,
						() -> new LazyConnectingDdpConnection(name, () -> createConnection(resolveAtFirstUse(name))));
			}
			else {
				ResolvedConnection connection = DdpClientOptionsMapper.resolve(name, properties);
				definition = new RootBeanDefinition(DdpConnection.class, () -> createConnection(connection));
			}
			definition.addQualifier(new AutowireCandidateQualifier(DdpClient.class, name));
			definition.setDestroyMethodName("close");
			definition
				.setDescription("DDP connection '" + name + "' to " + properties.getConnections().get(name).getUrl());
			registry.registerBeanDefinition(beanName, definition);
			lazyByBeanName.put(beanName, lazy);
		}
		if (!lazyByBeanName.isEmpty() && !registry.containsBeanDefinition(LIFECYCLE_BEAN_NAME)) {
			RootBeanDefinition lifecycle = new RootBeanDefinition(DdpConnectionsLifecycle.class,
					() -> new DdpConnectionsLifecycle(this.beanFactory, lazyByBeanName));
			registry.registerBeanDefinition(LIFECYCLE_BEAN_NAME, lifecycle);
		}
	}

	private ResolvedConnection resolveAtFirstUse(String name) {
		return DdpClientOptionsMapper.resolve(name, bind());
	}

	private DdpClientProperties bind() {
		return Binder.get(this.environment)
			.bind(DdpClientOptionsMapper.PREFIX, DdpClientProperties.class)
			.orElseGet(DdpClientProperties::new);
	}

	private DdpConnection createConnection(ResolvedConnection resolved) {
		DdpConnectionFactory factory = this.beanFactory.getBean(DdpConnectionFactory.class);
		@Nullable DdpConnection connection = factory.create(resolved.name(), resolved.options());
		Assert.state(connection != null, () -> factory + " returned null for DDP connection '" + resolved.name() + "'");
		return connection;
	}

}

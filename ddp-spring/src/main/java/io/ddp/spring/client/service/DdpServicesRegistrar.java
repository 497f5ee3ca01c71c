package io.ddp.spring.client.service;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.ddp.spring.client.DdpClient;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.client.NoSuchDdpConnectionException;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.annotation.AnnotationAttributes;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * Registers the clients of an {@link ImportDdpServices} annotation as beans.
 *
 * @since 0.1.0
 */
class DdpServicesRegistrar implements ImportBeanDefinitionRegistrar {

	private final Environment environment;

	private final ResourceLoader resourceLoader;

	private final BeanFactory beanFactory;

	// Spring passes these to an ImportBeanDefinitionRegistrar's constructor.
	DdpServicesRegistrar(Environment environment, ResourceLoader resourceLoader, BeanFactory beanFactory) {
		this.environment = environment;
		this.resourceLoader = resourceLoader;
		this.beanFactory = beanFactory;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		AnnotationAttributes attributes = AnnotationAttributes
			.fromMap(metadata.getAnnotationAttributes(ImportDdpServices.class.getName()));
		Assert.state(attributes != null, "No @ImportDdpServices on " + metadata.getClassName());
		Set<Class<?>> types = new LinkedHashSet<>();
		for (Class<?> type : attributes.getClassArray("types")) {
			types.add(type);
		}
		Set<String> packages = new LinkedHashSet<>();
		for (String basePackage : attributes.getStringArray("basePackages")) {
			if (StringUtils.hasText(basePackage)) {
				packages.add(basePackage.trim());
			}
		}
		for (Class<?> type : attributes.getClassArray("basePackageClasses")) {
			packages.add(type.getPackageName());
		}
		if (types.isEmpty() && packages.isEmpty()) {
			packages.add(ClassUtils.getPackageName(metadata.getClassName()));
		}
		for (String basePackage : packages) {
			types.addAll(scan(basePackage));
		}
		String defaultConnection = attributes.getString("connection");
		for (Class<?> type : types) {
			register(type, defaultConnection, registry);
		}
	}

	private Set<Class<?>> scan(String basePackage) {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false,
				this.environment) {

			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
				return definition.getMetadata().isInterface() && definition.getMetadata().isIndependent();
			}

		};
		scanner.setResourceLoader(this.resourceLoader);
		scanner.addIncludeFilter(new AnnotationTypeFilter(DdpService.class, true, true));
		Set<Class<?>> types = new LinkedHashSet<>();
		for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
			String className = candidate.getBeanClassName();
			Assert.state(className != null, "Scanned a DDP service without a class name");
			types.add(ClassUtils.resolveClassName(className, this.resourceLoader.getClassLoader()));
		}
		return types;
	}

	private void register(Class<?> type, String defaultConnection, BeanDefinitionRegistry registry) {
		Assert.isTrue(type.isInterface(),
				() -> "@ImportDdpServices lists " + type.getName() + ", which is not an interface");
		String beanName = type.getName();
		if (registry.containsBeanDefinition(beanName)) {
			return;
		}
		DdpService service = type.getAnnotation(DdpService.class);
		String connection = (service != null) ? service.connection() : defaultConnection;
		connection = this.environment.resolveRequiredPlaceholders(connection).trim();
		if (!StringUtils.hasText(connection)) {
			throw new IllegalStateException("DDP service " + type.getName()
					+ " names no connection: annotate it with @DdpService(connection = \"...\") or set "
					+ "@ImportDdpServices(connection = \"...\")");
		}
		String connectionName = connection;
		RootBeanDefinition definition = new RootBeanDefinition(type);
		definition.setInstanceSupplier(() -> createClient(type, connectionName, beanName));
		definition.setDescription("DDP client " + type.getName() + " on connection '" + connectionName + "'");
		registry.registerBeanDefinition(beanName, definition);
	}

	private <S> S createClient(Class<S> type, String connectionName, String beanName) {
		return new DdpServiceProxyFactory(connection(connectionName, type, beanName)).createClient(type);
	}

	// Resolved as an '@DdpClient("name") DdpConnection' injection point would be, so
	// mocks,
	// primary beans and the application's own qualified connections all apply.
	private DdpConnection connection(String name, Class<?> type, String beanName) {
		Assert.state(this.beanFactory instanceof AutowireCapableBeanFactory,
				"DDP services need an AutowireCapableBeanFactory");
		AutowireCapableBeanFactory factory = (AutowireCapableBeanFactory) this.beanFactory;
		try {
			Object connection = factory.resolveDependency(new ConnectionDescriptor(name), beanName);
			Assert.state(connection instanceof DdpConnection, () -> "No DdpConnection for '" + name + "'");
			return (DdpConnection) connection;
		}
		catch (NoUniqueBeanDefinitionException ex) {
			throw ex;
		}
		catch (NoSuchBeanDefinitionException ex) {
			throw new NoSuchDdpConnectionException(name, "DDP service " + type.getName());
		}
	}

	/**
	 * A dependency on the connection of a given name, as if declared
	 * {@code @DdpClient("name") DdpConnection connection}.
	 */
	@SuppressWarnings("serial")
	private static final class ConnectionDescriptor extends DependencyDescriptor {

		private static final Field FIELD = field();

		private final Annotation[] annotations;

		private final boolean fallback;

		ConnectionDescriptor(String name) {
			this(new Annotation[] { MergedAnnotation.of(DdpClient.class, Map.of("value", name)).synthesize() }, false);
		}

		private ConnectionDescriptor(Annotation[] annotations, boolean fallback) {
			super(FIELD, true);
			this.annotations = annotations;
			this.fallback = fallback;
		}

		@Override
		public Annotation[] getAnnotations() {
			return this.annotations.clone();
		}

		// The fallback lookup copies the descriptor; keep the qualifier in the copy.
		@Override
		public DependencyDescriptor forFallbackMatch() {
			return new ConnectionDescriptor(this.annotations, true);
		}

		@Override
		public boolean fallbackMatchAllowed() {
			return this.fallback;
		}

		private static Field field() {
			Field field = ReflectionUtils.findField(ConnectionHolder.class, "connection");
			Assert.state(field != null, "ConnectionHolder.connection is missing");
			return field;
		}

	}

	private static final class ConnectionHolder {

		// Not @Nullable: Spring reads nullness from the field and would make it optional.
		@SuppressWarnings("unused")
		private DdpConnection connection;

		private ConnectionHolder(DdpConnection connection) {
			this.connection = connection;
		}

	}

}

package io.ddp.spring.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import javax.sql.DataSource;

/**
 * A data source that records the SQL of every statement its connections prepare or
 * execute, to count the queries a store runs against the real database.
 */
final class CountingDataSource {

	private final List<String> statements = new CopyOnWriteArrayList<>();

	private final DataSource dataSource;

	CountingDataSource(DataSource target) {
		this.dataSource = proxy(DataSource.class, target, (method, args) -> {
			Object result = method.invoke(target, args);
			return (result instanceof Connection connection) ? connection(connection) : result;
		});
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	List<String> statements(Predicate<String> filter) {
		List<String> matching = new ArrayList<>();
		for (String statement : this.statements) {
			if (filter.test(statement)) {
				matching.add(statement);
			}
		}
		return matching;
	}

	void reset() {
		this.statements.clear();
	}

	private Connection connection(Connection target) {
		return proxy(Connection.class, target, (method, args) -> {
			if ((method.getName().equals("prepareStatement") || method.getName().equals("prepareCall")) && args != null
					&& args[0] instanceof String sql) {
				this.statements.add(sql);
			}
			Object result = method.invoke(target, args);
			if (result instanceof java.sql.Statement statement && !(result instanceof java.sql.PreparedStatement)) {
				return statement(statement);
			}
			return result;
		});
	}

	private java.sql.Statement statement(java.sql.Statement target) {
		return proxy(java.sql.Statement.class, target, (method, args) -> {
			if (method.getName().startsWith("execute") && args != null && args.length > 0
					&& args[0] instanceof String sql) {
				this.statements.add(sql);
			}
			return method.invoke(target, args);
		});
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, T target, Call call) {
		InvocationHandler handler = (proxy, method, args) -> {
			try {
				return call.invoke(method, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		};
		return (T) Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] { type }, handler);
	}

	@FunctionalInterface
	private interface Call {

		Object invoke(Method method, Object[] args) throws Exception;

	}

}

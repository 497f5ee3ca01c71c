package io.ddp.spring.protocol;

import java.security.SecureRandom;

import org.jspecify.annotations.Nullable;

/** TEMPORARY STUB: replaced by the real implementation. */
public abstract class MeteorRandom {
	private static final String UNMISTAKABLE = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz";
	private static final SecureRandom SECURE = new SecureRandom();
	public abstract double fraction();
	public String id() { return id(17); }
	public String id(int n) { StringBuilder b = new StringBuilder(); for (int i = 0; i < n; i++) b.append(UNMISTAKABLE.charAt((int) Math.floor(fraction() * UNMISTAKABLE.length()))); return b.toString(); }
	public String hexString(int n) { StringBuilder b = new StringBuilder(); for (int i = 0; i < n; i++) b.append("0123456789abcdef".charAt((int) Math.floor(fraction() * 16))); return b.toString(); }
	public static MeteorRandom secure() { return new MeteorRandom() { public double fraction() { return SECURE.nextDouble(); } }; }
	public static MeteorRandom alea(String... seeds) { return secure(); }
	public static MeteorRandom forStream(@Nullable String seed, String name) { return secure(); }
}

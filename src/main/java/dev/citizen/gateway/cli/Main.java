package dev.citizen.gateway.cli;
public class Main { public static void main(String[] a) {} }

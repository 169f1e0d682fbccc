package dev.telltale;
final class Placeholder {}

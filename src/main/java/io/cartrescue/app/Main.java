package io.cartrescue.app;

public final class Main {
    public static void main(final String[] args) {
        System.out.println("cart-rescue");
    }
}

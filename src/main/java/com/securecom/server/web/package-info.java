/**
 * The HTTP boundary shared by every resource: the JAX-RS application, request validation, problem+json bodies,
 * one exception mapper per failure, and security headers. Domain packages throw their own exceptions; only this
 * package turns them into statuses.
 */
package com.securecom.server.web;

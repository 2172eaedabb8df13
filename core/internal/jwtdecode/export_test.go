package jwtdecode

// PayloadFastPathAgrees exposes payloadFastPathAgrees to package jwtdecode_test.
var PayloadFastPathAgrees = payloadFastPathAgrees

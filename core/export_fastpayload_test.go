package core

// PayloadFastPathAgrees exposes payloadFastPathAgrees to package core_test.
var PayloadFastPathAgrees = payloadFastPathAgrees

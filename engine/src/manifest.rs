//! Manifests as `kubectl apply -f` takes them: the objects of a
//! multi-document YAML stream (Deployment, HorizontalPodAutoscaler,
//! ScaledObject, ...), read with API defaults applied.

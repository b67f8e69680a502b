//! Response and request bodies of the REST API that `qie_model` does not define.

import Hummingbird
import HummingbirdAuth
import ServiceLifecycle
import Metrics
import Prometheus
import Logging

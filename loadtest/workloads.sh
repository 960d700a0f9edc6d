# The benchmark workloads by name, for loadtest/bench.sh, compare.sh and cluster-bench.sh (sourced, not run):
# workload_flags NAME prints the wallet-loadtest flags of workload NAME.
#   uniform           uniform transfers on 10,000 wallets (issue 15's workload)
#   uniform-deposits  uniform deposits on 10,000 wallets
#   hot10             transfers among 10 hot wallets
#   hot1              deposits on 1 hot wallet
workload_flags() {
  case "$1" in
    uniform) echo "--users 100 --wallets 10000 --mix transfer=100 --distribution uniform" ;;
    uniform-deposits) echo "--users 100 --wallets 10000 --mix deposit=100 --distribution uniform" ;;
    hot10) echo "--users 10 --wallets 100 --mix transfer=100 --distribution hot:10" ;;
    hot1) echo "--users 10 --wallets 100 --mix deposit=100 --distribution hot:1" ;;
    *) echo "unknown workload $1" >&2; exit 2 ;;
  esac
}

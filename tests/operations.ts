/** Operations written the way a frontend team writes them (also pasted into the README). */

export const LOGIN = /* GraphQL */ `
  mutation Login($email: String!, $password: String!) {
    login(input: { email: $email, password: $password }) {
      accessToken
      refreshToken
      user {
        id
        name
      }
    }
  }
`;

/** One order, with fields from all five subgraphs. */
export const ORDER_ACROSS_ALL_SUBGRAPHS = /* GraphQL */ `
  query OrderDetail($id: ID!) {
    order(id: $id) {
      orderNumber
      status
      payStatus
      total {
        amount
        currency
      }
      customer {
        name
      }
      merchant {
        name
        isOpenNow
      }
      items {
        name
        quantity
        unitPrice {
          amount
        }
        dish {
          name
          imageUrl
        }
      }
      payment {
        status
        amount {
          amount
        }
      }
      delivery {
        status
        rider {
          user {
            name
          }
        }
      }
    }
  }
`;

export const MY_ORDERS = /* GraphQL */ `
  query MyOrders($first: Int, $after: String) {
    myOrders(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          orderNumber
          status
          merchant {
            name
          }
          payment {
            status
          }
          delivery {
            status
            rider {
              user {
                name
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const NEARBY_MERCHANTS = /* GraphQL */ `
  query NearbyMerchants($near: GeoPointInput!) {
    merchants(first: 10, near: $near) {
      edges {
        node {
          id
          name
          isOpenNow
          deliveryFee {
            amount
            currency
          }
          dishes(first: 5) {
            edges {
              node {
                name
                price {
                  amount
                }
                flavors {
                  name
                  options
                }
              }
            }
          }
        }
      }
    }
  }
`;

export const BUSINESS_REPORT = /* GraphQL */ `
  query BusinessReport($merchantId: ID, $from: String!, $to: String!, $timeZone: String) {
    businessReport(merchantId: $merchantId, from: $from, to: $to, timeZone: $timeZone) {
      id
      scope
      from
      to
      timeZone
      currency
      days {
        date
        figures {
          turnover
          orders
          validOrders
          cancelledOrders
          completionRate
          averageOrderValue
        }
      }
      totals {
        turnover
        orders
        validOrders
        cancelledOrders
        completionRate
        averageOrderValue
      }
      topSellers(limit: 10) {
        dish {
          id
        }
        setMeal {
          id
        }
        name
        quantity
      }
      userDays {
        date
        newUsers
        totalUsers
      }
      refundDays {
        date
        figures {
          refunds
          refundedAmount
        }
      }
      refundTotals {
        refunds
        refundedAmount
      }
      deliveryDays {
        date
        figures {
          delivered
          averageMinutes
          maxMinutes
        }
      }
      deliveryTotals {
        delivered
        averageMinutes
        maxMinutes
      }
    }
  }
`;

export const WORKSPACE = /* GraphQL */ `
  query Workspace($merchantId: ID, $timeZone: String) {
    workspace(merchantId: $merchantId, timeZone: $timeZone) {
      id
      scope
      date
      timeZone
      today {
        turnover
        orders
        validOrders
        completionRate
        averageOrderValue
      }
      orderOverview {
        pendingPayment
        toBeConfirmed
        confirmed
        deliveryInProgress
        completed
        cancelled
        all
      }
      newUsers
      dishOverview {
        onSale
        offSale
      }
      setMealOverview {
        onSale
        offSale
      }
    }
  }
`;

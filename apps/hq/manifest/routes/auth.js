// Login and logout: the till's own routes (a wrong password comes back as ?error=1 with the login typed;
// a deactivated account cannot log in). Head office has no self-registration.
const till = require('../../../kassa/manifest/routes/auth.js');

module.exports = {
  'GET /login': { type: 'view', public: true, layout: 'mainLayout', inject: { pageContent: 'loginForm' } },
  'POST /auth/login': till['POST /auth/login'],
  'POST /auth/logout': till['POST /auth/logout'],
};
